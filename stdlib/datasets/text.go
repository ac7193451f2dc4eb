package datasets

import "context"

// The loaders below return only the texts (and labels) of a corpus, in the
// form text-model packages such as stdlib/embed read: one string per
// chapter, address or message. They live here, not in embed, so that
// training word vectors does not link the data-set fetcher.

// MobyDickText returns the chapter texts of Moby Dick in reading order
// (the Text of each LoadMobyDick chapter).
func MobyDickText(ctx context.Context) ([]string, error) {
	ch, err := LoadMobyDick(ctx)
	if err != nil {
		return nil, err
	}
	out := make([]string, len(ch))
	for i, c := range ch {
		out[i] = c.Text
	}
	return out, nil
}

// SOTUText returns the State of the Union addresses in date order (the Text
// of each LoadSOTU address).
func SOTUText(ctx context.Context) ([]string, error) {
	as, err := LoadSOTU(ctx)
	if err != nil {
		return nil, err
	}
	out := make([]string, len(as))
	for i, a := range as {
		out[i] = a.Text
	}
	return out, nil
}

// SpamAssassinText returns the subject and body of each SpamAssassin
// message ("subject\nbody") and the index of its group in
// SpamAssassinGroups.
func SpamAssassinText(ctx context.Context) (texts []string, labels []int, err error) {
	ms, err := LoadSpamAssassin(ctx)
	if err != nil {
		return nil, nil, err
	}
	group := make(map[string]int, len(SpamAssassinGroups))
	for i, g := range SpamAssassinGroups {
		group[g] = i
	}
	texts = make([]string, 0, len(ms))
	labels = make([]int, 0, len(ms))
	for _, m := range ms {
		texts = append(texts, m.Subject+"\n"+m.Body)
		labels = append(labels, group[m.Group])
	}
	return texts, labels, nil
}
