"""rasd.resources"""
