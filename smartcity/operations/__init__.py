"""The integrated city-operations platform (스마트시티 통합플랫폼)."""
