"""Simulation layer: problems, noise laws, dynamics (also on the pulse level), the vectorised Monte
Carlo engine with its streamed statistics and progress, and the estimates and fits it reports."""
