package main

import (
	"context"
	"errors"
)

// trainCommand is owned by the helper building this subcommand.
func trainCommand(ctx context.Context, args []string) error {
	return errors.New("train: not implemented yet")
}
