package topics

import (
	"errors"
	"fmt"
	"math"
)

// config.go holds the tagger's Config, its defaults and its validation.

// Config tunes how evidence becomes topics. The zero value of a field means
// its default (see DefaultConfig).
type Config struct {
	// TitleWeight multiplies the evidence of title tokens.
	TitleWeight float64
	// LeadWeight multiplies the evidence of the body's first sentence (the
	// lead, which states what the story is about).
	LeadWeight float64
	// Saturation is the evidence at which a topic's score, the strength
	// of its evidence, reaches 1-1/e.
	Saturation float64
	// MinEvidence is the least evidence the best topic needs before any
	// topic is emitted (a guard against tagging near-empty texts).
	MinEvidence float64
	// MinRelative drops top-level topics with less than this fraction of
	// the best topic's evidence.
	MinRelative float64
	// MinScore drops topics whose evidence strength (Score) is below it.
	MinScore float64
	// DeepMinEvidence and DeepMinShare gate deeper codes: a sub-topic is
	// emitted when its evidence is at least DeepMinEvidence and at least
	// DeepMinShare of its top-level topic's evidence.
	DeepMinEvidence float64
	DeepMinShare    float64
	// MaxTopics caps the number of topics per article.
	MaxTopics int
	// NoDeep emits top-level topics only.
	NoDeep bool
	// IPTCOnly leaves out the hand-written lexicon and the entity cues (an
	// ablation: how far the IPTC vocabulary alone gets).
	IPTCOnly bool
	// NoIPTC leaves out the evidence derived from the IPTC labels and
	// definitions (the other ablation).
	NoIPTC bool
	// NoModel leaves out the learned model, both parts (an ablation, and
	// how the model's training labels are made).
	NoModel bool
	// NoVectors leaves out the learned model's word-vector part (an
	// ablation).
	NoVectors bool
	// ModelWeight is the evidence the learned model adds, spread over the
	// top-level topics by its probabilities: decisive for a headline,
	// negligible beside a full article's lexicon evidence.
	ModelWeight float64
	// VectorWeight is the evidence the learned model's word-vector part
	// adds, spread over the top-level topics by its probabilities.
	VectorWeight float64
	// EntityWeight is the evidence of one mention of a known entity (a
	// club, a company, a legislator); an entity mentioned n times counts
	// 1+ln n mentions.
	EntityWeight float64
	// Entities says which topic a named entity is evidence for. nil means
	// the embedded gazetteer (data/entity-topics.tsv); a knowledge base can
	// stand in for it.
	Entities EntityTopics
	// ModelData replaces the embedded learned model with a model file as
	// TrainModel writes it (nil: the embedded one).
	ModelData []byte
	// VectorModelData replaces the embedded word-vector model
	// (data/wordvec-model.txt) with one as TrainVectorModel writes it.
	VectorModelData []byte
	// NoKnownPeople leaves out the names of data/known-people.txt, which
	// count at tagging time but play no part in making the learned model:
	// the tagger that labels the model's training text is built without
	// them (a name given as evidence there would reach the model too).
	NoKnownPeople bool
	// NoCalibration leaves out each topic's calibrated probability
	// (event.Topic.Probability); Score, the evidence strength, is there
	// either way.
	NoCalibration bool
}

// DefaultConfig returns the settings the package is measured with.
func DefaultConfig() Config {
	return Config{
		TitleWeight:     3,
		LeadWeight:      1.5,
		Saturation:      10,
		MinEvidence:     1.5,
		MinRelative:     0.6,
		MinScore:        0.2,
		DeepMinEvidence: 5,
		DeepMinShare:    0.4,
		MaxTopics:       6,
		ModelWeight:     3,
		VectorWeight:    2.5,
		EntityWeight:    2,
	}
}

func (c Config) withDefaults() Config {
	d := DefaultConfig()
	set := func(v *float64, def float64) {
		if *v == 0 {
			*v = def
		}
	}
	set(&c.TitleWeight, d.TitleWeight)
	set(&c.LeadWeight, d.LeadWeight)
	set(&c.Saturation, d.Saturation)
	set(&c.MinEvidence, d.MinEvidence)
	set(&c.MinRelative, d.MinRelative)
	set(&c.MinScore, d.MinScore)
	set(&c.DeepMinEvidence, d.DeepMinEvidence)
	set(&c.DeepMinShare, d.DeepMinShare)
	set(&c.ModelWeight, d.ModelWeight)
	set(&c.VectorWeight, d.VectorWeight)
	set(&c.EntityWeight, d.EntityWeight)
	if c.MaxTopics == 0 {
		c.MaxTopics = d.MaxTopics
	}
	return c
}

// Validate reports settings that cannot work.
func (c Config) Validate() error {
	var errs []error
	pos := func(name string, v float64) {
		if v < 0 || math.IsNaN(v) || math.IsInf(v, 0) {
			errs = append(errs, fmt.Errorf("topics: %s must be a finite number >= 0, got %v", name, v))
		}
	}
	pos("TitleWeight", c.TitleWeight)
	pos("LeadWeight", c.LeadWeight)
	pos("Saturation", c.Saturation)
	pos("MinEvidence", c.MinEvidence)
	pos("DeepMinEvidence", c.DeepMinEvidence)
	pos("ModelWeight", c.ModelWeight)
	pos("VectorWeight", c.VectorWeight)
	pos("EntityWeight", c.EntityWeight)
	frac := func(name string, v float64) {
		if !(v >= 0 && v <= 1) {
			errs = append(errs, fmt.Errorf("topics: %s must be in [0,1], got %v", name, v))
		}
	}
	frac("MinRelative", c.MinRelative)
	frac("MinScore", c.MinScore)
	frac("DeepMinShare", c.DeepMinShare)
	if c.IPTCOnly && c.NoIPTC {
		errs = append(errs, errors.New("topics: IPTCOnly and NoIPTC leave no lexicon"))
	}
	if c.MaxTopics < 0 {
		errs = append(errs, fmt.Errorf("topics: MaxTopics must be >= 0, got %d", c.MaxTopics))
	}
	return errors.Join(errs...)
}
