// Inside namespace Dendrite.Cli the name Autograd would resolve to the namespace Dendrite.Autograd; this alias names the class.
global using Grad = Dendrite.Autograd.Autograd;
