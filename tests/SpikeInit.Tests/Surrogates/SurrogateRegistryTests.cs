using System.Reflection;
using System.Text.Json.Serialization;

namespace SpikeInit.Tests;

public class SurrogateRegistryTests
{
    [Fact]
    public void Every_name_and_alias_resolves_to_its_entry_in_any_case()
    {
        foreach (SurrogateEntry entry in SurrogateRegistry.All)
            foreach (string name in entry.Aliases.Prepend(entry.Name))
            {
                Assert.Same(entry, SurrogateRegistry.Get(name));
                Assert.Same(entry, SurrogateRegistry.Get($" {name.ToUpperInvariant()} "));
                Assert.Equal(entry.Default, SurrogateRegistry.Get(name).Create());
            }
    }

    [Fact]
    public void Names_and_aliases_are_unique_kebab_case()
    {
        string[] names = [.. SurrogateRegistry.All.SelectMany(e => e.Aliases.Prepend(e.Name))];
        Assert.Equal(names.Length, names.Distinct(StringComparer.OrdinalIgnoreCase).Count());
        Assert.All(SurrogateRegistry.All, e => Assert.Matches("^[a-z0-9]+(-[a-z0-9]+)*$", e.Name));
        Assert.All(SurrogateRegistry.All, e => Assert.False(string.IsNullOrWhiteSpace(e.Description), e.Name));
    }

    [Fact]
    public void Every_built_in_surrogate_and_shape_is_registered()
    {
        Type[] saved = [.. typeof(Surrogate).GetCustomAttributes<JsonDerivedTypeAttribute>().Select(a => a.DerivedType)];
        Assert.Equal(saved.OrderBy(t => t.Name), SurrogateRegistry.All.Select(e => e.Default.GetType()).Distinct().OrderBy(t => t.Name));
        Assert.Equal(Enum.GetValues<SurrogateShape>(),
                     SurrogateRegistry.All.Select(e => e.Default).OfType<NormalizedSurrogate>().Select(s => s.Shape));
        // the shape names of `spikeinit init --surrogate`
        string[] shapes = ["rectangular", "triangular", "exponential", "gaussian", "sigmoid-derivative", "fast-sigmoid", "q-pseudo-spike"];
        Assert.All(shapes, n => Assert.IsType<NormalizedSurrogate>(SurrogateRegistry.Get(n).Default));
        Assert.Equal(SurrogateShape.QPseudoSpike, ((NormalizedSurrogate)SurrogateRegistry.Get("q-pseudo-spike").Default).Shape);
        Assert.True(((SuperSpike)SurrogateRegistry.Get("superspike-rescaled").Default).Rescaled);
        Assert.IsType<ArcTan>(SurrogateRegistry.Get("atan").Default);
    }

    [Fact]
    public void Create_sets_each_parameter_and_keeps_the_others_at_their_defaults()
    {
        foreach (SurrogateEntry entry in SurrogateRegistry.All)
            foreach (SurrogateParameter parameter in entry.Parameters)
            {
                double value = parameter.Get(entry.Default) * 1.5;
                Surrogate s = entry.Create(new Dictionary<string, double> { [parameter.Name.ToUpperInvariant()] = value });
                Assert.Equal(entry.Default.GetType(), s.GetType());
                Assert.Equal(value, parameter.Get(s));
                foreach (SurrogateParameter other in entry.Parameters.Where(p => p != parameter))
                    Assert.Equal(other.Get(entry.Default), other.Get(s));
            }
        var arctan = (ArcTan)SurrogateRegistry.Get("arctan").Create(new Dictionary<string, double> { ["alpha"] = 4 });
        Assert.Equal(2.0, arctan.Peak);
        var q = (NormalizedSurrogate)SurrogateRegistry.Get("q-pseudo-spike").Create(new Dictionary<string, double> { ["q"] = 3, ["sharpness"] = 2 });
        Assert.Equal((3.0, 2.0, 1.0), (q.Q, q.Sharpness, q.Dampening));
    }

    [Fact]
    public void Unknown_names_and_parameters_are_errors_that_list_the_choices()
    {
        string message = Assert.Throws<ArgumentException>(() => SurrogateRegistry.Get("boxcar")).Message;
        Assert.Contains("'boxcar'", message);
        Assert.All(SurrogateRegistry.All, e => Assert.Contains(e.Name, message));
        message = Assert.Throws<ArgumentException>(() => SurrogateRegistry.Get("arctan").Create(new Dictionary<string, double> { ["beta"] = 1 })).Message;
        Assert.Contains("'beta'", message);
        Assert.Contains("alpha", message);
        // values are validated by the surrogate itself
        Assert.Throws<ArgumentOutOfRangeException>(() => SurrogateRegistry.Get("q-pseudo-spike").Create(new Dictionary<string, double> { ["q"] = 1 }));
    }
}
