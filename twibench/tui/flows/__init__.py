"""What the workbench's commands do when they take more than one step: ask, change the workbench, report.

Each flow is a coroutine that gets the app (to ask with a dialog, `push_screen_wait`), the workbench
session and the requests it acts on, changes the workbench, and returns an `Outcome`: what the main
screen should show next (the tree, the request to open, notifications). Flows never touch a screen;
the main screen runs them as workers and applies their outcomes in one place. Only a collection run
(`run`) drives a widget, the run panel it is handed, since it reports as it goes.
"""
