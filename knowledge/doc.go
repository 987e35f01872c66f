// Package knowledge is agreementbot's fact store: the YAML data files in
// data/ (embedded in the binary, or read from a directory), a strict loader
// that reports every problem with its file and line, and the read-only
// indexes for lookup, typo-tolerant name resolution, full-text search,
// nationality queries and "what's new".
//
// Load decodes the YAML (the embedded copy exactly as a directory), validates
// everything and builds what validation and exact lookups need; the larger
// indexes are built once, on first use or in the background after Warm.
//
// It knows nothing of chat platforms, replies or logging; the bot package
// turns what it finds into answers. A Store is immutable once loaded, so it
// is safe for concurrent use without locks.
package knowledge
