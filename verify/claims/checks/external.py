"""Claims that need trained networks or rest on external citations: registered as not checkable here.

* C44 (App. I.3, Fig. 7) is about the weights of trained MNIST networks;
* C45 and C46 (section 1) restate results of other papers.
"""

from __future__ import annotations

from ..registry import claim

claim(
    "C44",
    "Digital SGD weights stay bounded without projection; W_max ~ 0.2 tau would suffice for Analog SGD; "
    "Tiki-Taka has a larger W_max",
    "App. I.3 (v1), Fig. 7",
    "upper",
    not_checkable=(
        "needs the trained MNIST FCN weights of Fig. 7 (digital SGD, Analog SGD and Tiki-Taka at "
        "tau = 0.7; MNIST plus AIHWKit 0.9.0 training, 80 epochs, 3 repeats); the official plotting "
        "script S6 loads checkpoints from checkpoints/MNIST-FCN/Softbounds/..., a path the training "
        "script S4.1 never writes, and no checkpoints are published"
    ),
)

claim(
    "C45",
    "An IBM analog chip reached 92.81% on CIFAR-10 with 280x energy efficiency and 100x throughput vs GPUs",
    "Sec. 1 (v1), refs. [11, 12]",
    "external",
    not_checkable="external citation of hardware results ([11, 12]); needs the cited chip and its measurements",
)

claim(
    "C46",
    "Matrix-vector multiplications are about 80% of the compute of VGG16",
    "Sec. 1 (v1), ref. [10]",
    "external",
    not_checkable="external citation ([10]); a property of the cited profiling study, not of this paper's theory",
)
