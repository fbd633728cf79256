"""One module per wizard step; `registry.screen_for` maps a journey step to its screen."""
