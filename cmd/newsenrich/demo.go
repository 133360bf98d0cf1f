package main

import (
	"context"
	"errors"
)

// demoCommand is owned by the helper building this subcommand.
func demoCommand(ctx context.Context, args []string) error {
	return errors.New("demo: not implemented yet")
}
