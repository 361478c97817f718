package impact

// Phases is the SPC view of a before/after comparison. (Filled in once the
// spc package lands.)
type Phases struct{}

func phases(before, after []float64, better Direction) (*Phases, error) { return &Phases{}, nil }
