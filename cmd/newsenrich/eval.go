package main

import (
	"context"
	"errors"
)

// evalCommand is owned by the helper building this subcommand.
func evalCommand(ctx context.Context, args []string) error {
	return errors.New("eval: not implemented yet")
}
