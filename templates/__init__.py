"""The built-in Word templates (docx/), package data of sagsgenerator: the build maps this
folder to `sagsgenerator.templates`, found with importlib.resources."""
