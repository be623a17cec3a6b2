"""Real video: the gateway that turns a camera's stream into segments for one
viewer (``supervisor``), the ffmpeg command lines (``ffmpeg``) and the camera
simulator for development, tests and the demo (``simulator``).

docs/adr/0021-real-video-gateway.md says why and how.
"""
