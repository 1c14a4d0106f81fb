namespace SpikeInit.Layers;

/// <summary>The batch-normalization variants for spiking layers (docs/THEORY.md, "Normalization layers").</summary>
public enum NormKind
{
    /// <summary>Threshold-dependent BN (Zheng et al. 2021): statistics over batch and time of the pre-activation, scaled to α·θ.</summary>
    Tdbn,
    /// <summary>BN through time (Kim &amp; Panda 2021): separate statistics and scale per time step, no shift.</summary>
    Bntt,
    /// <summary>Temporal effective BN (Duan et al. 2022): statistics over batch and time, a learnable scale p_t per step.</summary>
    Tebn,
    /// <summary>Membrane-potential BN (Guo et al. 2023): BN of the membrane after the update, before firing; folds into the threshold.</summary>
    Mpbn,
}
