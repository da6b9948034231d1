"""The bottom layer: numbers in their Chinese forms, metrics, the indicator catalogue, settings,
translations and every shared vocabulary. Imports nothing else from lib."""
