package main

import (
	"context"
	"errors"
)

// replayCommand is owned by the helper building this subcommand.
func replayCommand(ctx context.Context, args []string) error {
	return errors.New("replay: not implemented yet")
}
