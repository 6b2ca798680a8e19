"""The static site generator of the service-brand column: ARCHITECTURE.md shows its parts."""
