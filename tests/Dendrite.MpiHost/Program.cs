using Dendrite.MpiHost;

// dendrite-mpi-host <scenario> [options]: see Scenarios.Run.
return Scenarios.Run(args);
