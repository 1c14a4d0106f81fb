namespace SpikeInit.Training;

/// <summary>Optimizer kinds of <c>spikeinit train</c> (Ding et al. Table A5 plus AdaBelief for Herranz-Celotti).</summary>
public enum OptimizerKind
{
    /// <summary>Adam (Kingma &amp; Ba), L2 weight decay added to the gradient.</summary>
    Adam,
    /// <summary>AdamW: Adam with decoupled weight decay.</summary>
    AdamW,
    /// <summary>SGD with (heavy-ball) momentum.</summary>
    Sgd,
    /// <summary>Averaged SGD (PyTorch's ASGD).</summary>
    Asgd,
    /// <summary>Adagrad.</summary>
    Adagrad,
    /// <summary>AdaBelief (Zhuang et al. 2020) with decoupled weight decay.</summary>
    AdaBelief,
}
