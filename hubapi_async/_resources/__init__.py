"""Endpoint families: thin classes that build paths and params and choose Structs."""
