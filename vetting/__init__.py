"""Employer vetting (三审): credit-code checks, review state machine and job-post red flags."""
