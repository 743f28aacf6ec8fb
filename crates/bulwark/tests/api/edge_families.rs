//! Edge families beyond identity and access (filled in by their implementation).
