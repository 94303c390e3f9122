"""docgen: 永住許可申請 checklists and application packets for 行政書士 offices.

Data flows one way: profile -> rules -> checklist -> documents -> PDF bundle.
"""

__version__ = "0.1.0"
