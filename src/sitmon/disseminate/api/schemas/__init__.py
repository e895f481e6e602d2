"""Pydantic schemas of the API, one module per resource, split Create (request) / Update / Public (response)."""
