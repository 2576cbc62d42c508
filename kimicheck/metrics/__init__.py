"""Prometheus export: the metric contract, the pure collector, and the textfile and Pushgateway edges."""
