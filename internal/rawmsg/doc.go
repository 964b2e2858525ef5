// Package rawmsg lets the script host post a message whose data is already
// a Record and receive messages without having them rebuilt as Go values:
// a JavaScript realm serializes and deserializes its own values (see
// internal/jsrec). The ports package recognizes these types; nothing here
// is public API.
package rawmsg
