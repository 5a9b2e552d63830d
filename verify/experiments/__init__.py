"""Experiment layer: the papers' experimental setups (problems, step sizes, noise, devices as the
figures used them) and the computations behind their figures, run on the simulation layer."""
