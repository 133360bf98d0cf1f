package config

import (
	"io"
	"log/slog"
)

// Logger builds the slog logger of --log-level and --log-format, writing to
// w. The level and format are those Validate accepts.
func (c Config) Logger(w io.Writer) *slog.Logger {
	var lv slog.Level
	_ = lv.UnmarshalText([]byte(c.LogLevel)) // validated by Validate
	opts := &slog.HandlerOptions{Level: lv}
	if c.LogFormat == "json" {
		return slog.New(slog.NewJSONHandler(w, opts))
	}
	return slog.New(slog.NewTextHandler(w, opts))
}
