"""The model's machinery, apart from its content: the schema of parameters, results and states,
the plan that runs the modules in order, and the results store."""
