"""Leg Exercises: an Alexa skill that coaches five short foot-and-leg exercises a day."""

__version__ = "0.1.0"
