"""Tests of the service's defences against slow, oversized and abusive clients."""
