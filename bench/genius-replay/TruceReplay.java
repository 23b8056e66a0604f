import java.io.BufferedReader;
import java.io.FileReader;
import java.io.IOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;

import genius.core.AgentID;
import genius.core.Bid;
import genius.core.actions.Accept;
import genius.core.actions.Action;
import genius.core.actions.EndNegotiation;
import genius.core.actions.Offer;
import genius.core.issue.Issue;
import genius.core.issue.Value;
import genius.core.issue.ValueDiscrete;
import genius.core.issue.ValueInteger;
import genius.core.issue.ValueReal;
import genius.core.parties.AbstractNegotiationParty;
import genius.core.parties.NegotiationInfo;

/**
 * truce's replay agent for GENIUS 10.4 (bench/genius_probe.sh): plays again, step by step, a
 * script of offers and acceptances, so that a GENIUS agent meets exactly the opponent a truce (or
 * another GENIUS) session had. Written for truce against GENIUS's public party API.
 *
 * The script (environment variable TRUCE_REPLAY, made by genius_probe.sh from a trace) is text,
 * tab-separated: a first line "issues NAME..." naming the issues in the order the values follow,
 * then one line per step, "offer VALUE..." or "accept". Its k-th turn is the k-th step; an
 * acceptance with nothing to accept is passed over; after the last step it repeats its last offer
 * (TRUCE_REPLAY_THEN=hold, the default) or walks away (end).
 */
public class TruceReplay extends AbstractNegotiationParty {
	private final List<Bid> offers = new ArrayList<Bid>(); // null entries: acceptances
	private int next = 0;
	private Bid last = null, received = null;
	private boolean thenEnd = false;

	@Override
	public void init(NegotiationInfo info) {
		super.init(info);
		String path = System.getenv("TRUCE_REPLAY");
		thenEnd = "end".equals(System.getenv("TRUCE_REPLAY_THEN"));
		if (path == null)
			throw new IllegalStateException("TruceReplay: set TRUCE_REPLAY to a script");
		HashMap<String, Issue> byName = new HashMap<String, Issue>();
		for (Issue is : getDomain().getIssues())
			byName.put(is.getName(), is);
		try (BufferedReader in = new BufferedReader(new FileReader(path))) {
			String line;
			Issue[] order = null;
			int n = 0;
			while ((line = in.readLine()) != null) {
				n++;
				if (line.isEmpty())
					continue;
				String[] f = line.split("\t", -1);
				if (f[0].equals("issues")) {
					order = new Issue[f.length - 1];
					for (int i = 1; i < f.length; i++) {
						order[i - 1] = byName.get(f[i]);
						if (order[i - 1] == null)
							throw new IllegalStateException(path + ":" + n + ": no issue '" + f[i] + "'");
					}
				} else if (f[0].equals("accept")) {
					offers.add(null);
				} else if (f[0].equals("offer") && order != null && f.length == order.length + 1) {
					HashMap<Integer, Value> values = new HashMap<Integer, Value>();
					for (int i = 0; i < order.length; i++)
						values.put(order[i].getNumber(), value(order[i], f[i + 1]));
					offers.add(new Bid(getDomain(), values));
				} else {
					throw new IllegalStateException(path + ":" + n + ": not an issues, offer or accept line");
				}
			}
		} catch (IOException e) {
			throw new IllegalStateException("TruceReplay: " + path + ": " + e.getMessage());
		}
	}

	private static Value value(Issue is, String text) {
		switch (is.getType()) {
		case INTEGER:
			return new ValueInteger(Integer.parseInt(text));
		case REAL:
			return new ValueReal(Double.parseDouble(text));
		default:
			return new ValueDiscrete(text);
		}
	}

	@Override
	public Action chooseAction(List<Class<? extends Action>> possible) {
		while (next < offers.size()) {
			Bid b = offers.get(next++);
			if (b == null) {
				if (received != null && possible.contains(Accept.class))
					return new Accept(getPartyId(), received);
				continue;
			}
			last = b;
			return new Offer(getPartyId(), b);
		}
		if (thenEnd || last == null)
			return new EndNegotiation(getPartyId());
		return new Offer(getPartyId(), last);
	}

	@Override
	public void receiveMessage(AgentID sender, Action act) {
		super.receiveMessage(sender, act);
		if (act instanceof Offer)
			received = ((Offer) act).getBid();
	}

	@Override
	public String getDescription() {
		return "truce replay: a recorded party's offers again";
	}
}
