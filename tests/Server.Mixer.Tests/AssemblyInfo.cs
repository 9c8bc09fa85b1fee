// Mixer tests are CPU-bound and short; running the classes in parallel keeps the suite fast.
[assembly: CollectionBehavior(DisableTestParallelization = false)]
