"""The org tree: district, townships, villages; their groups, staff, residents and employer contacts."""
