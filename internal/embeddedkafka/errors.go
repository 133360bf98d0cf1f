package embeddedkafka

import (
	"errors"

	"github.com/twmb/franz-go/pkg/kerr"
)

func isExists(err error) bool { return errors.Is(err, kerr.TopicAlreadyExists) }
