"""Scan to join (扫一个码): OA parametric QR → village binding → the village group's join QR → membership."""
