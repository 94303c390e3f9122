"""What staff do, one module per action, between the stages and the faces.

Each use case takes a `RunContext` (settings, rules, the time, the staff's language, the user) and the action's
own inputs, runs the stages (profile → rules → case → assessment → checklist → documents → pdf → packet) and
returns typed results. The command line (docgen/cli) and the web app only parse input and present these results:
no rule, decision, default or file name is decided in a face.
"""
