"""Drawing: reads core objects and never changes them."""
