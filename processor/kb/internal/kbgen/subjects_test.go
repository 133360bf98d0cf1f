package main

import "testing"

func TestLongForm(t *testing.T) {
	for in, want := range map[string]string{
		"Iran (Islamic Republic of)":         "Islamic Republic of Iran",
		"Venezuela (Bolivarian Republic of)": "Bolivarian Republic of Venezuela",
		"Netherlands (Kingdom of the)":       "",
		"France":                             "",
	} {
		if got := longForm(in); got != want {
			t.Errorf("longForm(%q) = %q, want %q", in, got, want)
		}
	}
}
