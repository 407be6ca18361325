"""rasd.recognize"""
