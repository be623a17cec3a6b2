"""Live updates: an event outbox written inside transactions, delivered by SSE after commit."""
