package main

import (
	"context"
	"errors"
)

// benchCommand is owned by the helper building this subcommand.
func benchCommand(ctx context.Context, args []string) error {
	return errors.New("bench: not implemented yet")
}
