package main

import (
	"context"
	"errors"
)

// enrichCommand is owned by the helper building this subcommand.
func enrichCommand(ctx context.Context, args []string) error {
	return errors.New("enrich: not implemented yet")
}
