package main

import (
	"bytes"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"

	"github.com/newsenrich/newsenrich/internal/eval"
	"github.com/newsenrich/newsenrich/processor/engine"
	"github.com/newsenrich/newsenrich/processor/entities"
	"github.com/newsenrich/newsenrich/processor/text"
	"github.com/newsenrich/newsenrich/processor/topics"
)

// writeCalibration fits the topic stage's score calibration on the
// hand-labelled articles of the gold files labels matches and writes it to
// out. The articles are read by the whole topic stage (entities, knowledge
// base, lexicon) with a learned model (both parts) trained like the shipped
// one but without them (build leaves them out), so that the fit sees the model as it
// is on text it never read. Each article counts in every view the eval
// command scores: whole, headline, headline and first sentence, and both
// short views in Title Case.
func writeCalibration(out, labels string, l2 float64, docs []doc, skip map[string]bool,
	build func(leaveOut map[string]bool) ([]topics.Example, map[string]int, error), opt topics.TrainOptions,
	vopt topics.VectorTrainOptions) error {
	files, err := filepath.Glob(labels)
	if err != nil || len(files) == 0 {
		return fmt.Errorf("-calibration-labels %q matches no file", labels)
	}
	gold := map[string][]string{}
	for _, f := range files {
		if err := readTopicLists(f, skip, gold); err != nil {
			return err
		}
	}
	leave := make(map[string]bool, len(gold))
	for id := range gold {
		leave[id] = true
	}
	ex, _, err := build(leave)
	if err != nil {
		return err
	}
	var model bytes.Buffer
	if err := topics.TrainModel(ex, opt, &model); err != nil {
		return err
	}
	var vecModel bytes.Buffer
	if err := topics.TrainVectorModel(ex, vopt, "", &vecModel); err != nil {
		return err
	}
	ents, err := engine.TopicEntities()
	if err != nil {
		return err
	}
	tagger, err := topics.New(topics.Config{ModelData: model.Bytes(), VectorModelData: vecModel.Bytes(), Entities: ents, NoCalibration: true})
	if err != nil {
		return err
	}
	rec, err := entities.New(entities.Config{})
	if err != nil {
		return err
	}
	var cex []topics.CalibrationExample
	views := append([]string{"whole"}, eval.ShortViews()...)
	right := make([]int, len(views))
	top := tagger.TopLevel()
	n := 0
	for _, d := range docs {
		codes, ok := gold[d.id]
		if !ok || d.title == "" || d.body == "" {
			continue
		}
		n++
		for i, v := range views {
			vt, vb := eval.ShortView(v, d.title, d.body) // "whole" is no short view: the article as it is
			title, body := new(text.Doc), new(text.Doc)
			title.Reset(vt)
			body.Reset(vb)
			ex := topics.CalibrationExample{Title: title, Body: body, Entities: rec.Entities(body), Codes: codes}
			cex = append(cex, ex)
			if ts := tagger.Topics(title, body, ex.Entities); len(ts) > 0 && isAmong(top[ts[0].Code], codes, top) {
				right[i]++
			}
		}
	}
	if n < len(gold) {
		return fmt.Errorf("calibration: %d of the %d labelled articles are not among the training texts", len(gold)-n, len(gold))
	}
	// The same texts are a held-out check of the topic stage on modern
	// copy: the model that reads them never trained on them.
	fmt.Fprintf(os.Stderr, "trainmodel: first topic right on the calibration articles, model without them:")
	for i, v := range views {
		fmt.Fprintf(os.Stderr, " %s %.3f", v, float64(right[i])/float64(max(n, 1)))
	}
	fmt.Fprintln(os.Stderr)
	c, err := tagger.FitCalibration(cex, l2)
	if err != nil {
		return err
	}
	var buf bytes.Buffer
	header := fmt.Sprintf(`Score calibration of the topic stage (processor/topics/calibrate.go), written by
trainmodel: a logistic model fitted on %d hand-labelled Wikinews articles
(%s), each whole, as its headline, as its headline and
first sentence, and both short views in Title Case (%d texts), read with a
learned model trained as the shipped one but without these articles.
Ridge penalty %g.`, n, labels, len(cex), l2)
	if err := c.Encode(&buf, header); err != nil {
		return err
	}
	if err := os.WriteFile(out, buf.Bytes(), 0o644); err != nil {
		return err
	}
	fmt.Fprintf(os.Stderr, "trainmodel: wrote %s (%d articles, %d texts)\n", out, n, len(cex))
	return nil
}

// isAmong reports whether top-level code c is the top level of one of codes.
func isAmong(c string, codes []string, top map[string]string) bool {
	for _, g := range codes {
		if top[g] == c {
			return true
		}
	}
	return false
}

// readTopicLists reads every topic of each article of a gold file (JSONL
// {id, topics}); articles without topics are left out. Ids in skip
// (development sets) are refused: they must never train.
func readTopicLists(path string, skip map[string]bool, out map[string][]string) error {
	b, err := os.ReadFile(path)
	if err != nil {
		return err
	}
	for _, line := range bytes.Split(b, []byte("\n")) {
		if len(bytes.TrimSpace(line)) == 0 {
			continue
		}
		var g struct {
			ID     string   `json:"id"`
			Topics []string `json:"topics"`
		}
		if err := json.Unmarshal(line, &g); err != nil {
			return fmt.Errorf("%s: %w", path, err)
		}
		if skip[g.ID] {
			return fmt.Errorf("%s: %s is a development article", path, g.ID)
		}
		if len(g.Topics) > 0 {
			out[g.ID] = g.Topics
		}
	}
	return nil
}
