"""Pure signal functions over landmarks: geometry, filtering, side and view checks."""
