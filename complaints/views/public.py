"""Public case views: scope check, filing, confirmation, tracking."""
