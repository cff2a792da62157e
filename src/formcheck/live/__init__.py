"""Live coaching from a webcam (or a file or stream played in real time).

grabber (newest frame wins, on its own thread) -> session (pose, analysis,
coach, overlay, keys) -> display (window or headless file) -> save (JSON and
HTML in a sessions folder). ``program`` runs the five exercises in order.
"""
