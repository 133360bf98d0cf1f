// Package integration holds end-to-end tests that run the newsenrich worker against a Kafka broker:
// a kafka-go smoke test of the broker itself and the fault tests (kill, rebalance, broker restart,
// unwritable output, poison input, shutdown under load). Each fault test accounts for every input
// id: it must appear in the enriched or the dead-letter topic.
//
// The broker is chosen by package kafkatest: NEWSENRICH_TEST_BROKERS (comma list, e.g. from
// scripts/kafka.sh up) or, unset, an in-process kfake cluster; real-broker-only tests skip, so
// plain `go test ./...` stays fast and needs no Java.
package integration
