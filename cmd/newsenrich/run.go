package main

import (
	"context"
	"errors"
)

// runCommand is owned by the helper building this subcommand.
func runCommand(ctx context.Context, args []string) error {
	return errors.New("run: not implemented yet")
}
