// Package fifo holds the growable FIFO queue that mailboxes keep their
// messages in (see internal/mailq).
package fifo
