// GeniusLoad.java: load GENIUS domain/profile pairs with GENIUS 10.4's own classes (as its
// Repository does) and print, per pair, whether GENIUS can use it and its utilities of sample
// bids, as JSON lines. Used by scripts/genius_loadcheck.py; GENIUS is a black box here.
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Random;

import genius.core.Bid;
import genius.core.Domain;
import genius.core.DomainImpl;
import genius.core.issue.Issue;
import genius.core.issue.IssueDiscrete;
import genius.core.issue.IssueInteger;
import genius.core.issue.IssueReal;
import genius.core.issue.Value;
import genius.core.issue.ValueDiscrete;
import genius.core.issue.ValueInteger;
import genius.core.issue.ValueReal;
import genius.core.utility.AbstractUtilitySpace;
import genius.core.utility.AdditiveUtilitySpace;
import genius.core.utility.ConstraintUtilitySpace;
import genius.core.utility.NonlinearUtilitySpace;
import genius.core.utility.UTILITYSPACETYPE;
import genius.core.utility.UncertainAdditiveUtilitySpace;

public class GeniusLoad {
    static final int SAMPLES = 400;

    static String quote(String s) {
        StringBuilder b = new StringBuilder("\"");
        for (char c : s.toCharArray()) {
            if (c == '"' || c == '\\')
                b.append('\\').append(c);
            else if (c < 0x20)
                b.append(String.format("\\u%04x", (int) c));
            else
                b.append(c);
        }
        return b.append('"').toString();
    }

    static String number(double d) {
        return Double.isNaN(d) || Double.isInfinite(d) ? "null" : Double.toString(d);
    }

    static String reason(Throwable t) {
        while (t.getCause() != null)
            t = t.getCause();
        return t.toString();
    }

    /** The values GENIUS enumerates for an issue (BidIterator's discretisation for reals). */
    static List<Value> values(Issue issue) {
        List<Value> out = new ArrayList<Value>();
        if (issue instanceof IssueDiscrete) {
            out.addAll(((IssueDiscrete) issue).getValues());
        } else if (issue instanceof IssueInteger) {
            IssueInteger i = (IssueInteger) issue;
            for (int v = i.getLowerBound(); v <= i.getUpperBound() && out.size() < 100000; v++)
                out.add(new ValueInteger(v));
        } else if (issue instanceof IssueReal) {
            IssueReal r = (IssueReal) issue;
            int n = r.getNumberOfDiscretizationSteps();
            double step = (r.getUpperBound() - r.getLowerBound()) / (n - 1);
            for (int k = 0; k < n; k++)
                out.add(new ValueReal(r.getLowerBound() + step * k));
        }
        return out;
    }

    static String text(Value v) {
        if (v instanceof ValueDiscrete)
            return quote(((ValueDiscrete) v).getValue());
        if (v instanceof ValueInteger)
            return Integer.toString(((ValueInteger) v).getValue());
        return number(((ValueReal) v).getValue());
    }

    static AbstractUtilitySpace space(Domain domain, String profile) throws Exception {
        switch (UTILITYSPACETYPE.getUtilitySpaceType(profile)) {
        case NONLINEAR:
            return new NonlinearUtilitySpace(domain, profile);
        case CONSTRAINT:
            return new ConstraintUtilitySpace(domain, profile);
        case UNCERTAIN:
            return new UncertainAdditiveUtilitySpace(domain, profile);
        default:
            return new AdditiveUtilitySpace(domain, profile);
        }
    }

    static String check(String domainPath, String profilePath) {
        StringBuilder out = new StringBuilder("{\"domain\":" + quote(domainPath) + ",\"profile\":"
                + quote(profilePath));
        Domain domain;
        try {
            domain = new DomainImpl(domainPath);
        } catch (Throwable t) {
            return out + ",\"ok\":false,\"stage\":\"domain\",\"error\":" + quote(reason(t)) + "}";
        }
        AbstractUtilitySpace us;
        String type;
        try {
            type = String.valueOf(UTILITYSPACETYPE.getUtilitySpaceType(profilePath));
            us = space(domain, profilePath);
        } catch (Throwable t) {
            return out + ",\"ok\":false,\"stage\":\"profile\",\"error\":" + quote(reason(t)) + "}";
        }
        List<Issue> issues = domain.getIssues();
        List<List<Value>> values = new ArrayList<List<Value>>();
        double total = 1;
        for (Issue i : issues) {
            List<Value> v = values(i);
            values.add(v);
            total *= v.size();
        }
        out.append(",\"type\":").append(quote(type)).append(",\"issues\":[");
        for (int k = 0; k < issues.size(); k++)
            out.append(k > 0 ? "," : "").append(quote(issues.get(k).getName()));
        out.append("],\"labels\":[");
        for (int k = 0; k < issues.size(); k++) {
            out.append(k > 0 ? ",[" : "[");
            if (issues.get(k) instanceof IssueDiscrete)
                for (int j = 0; j < values.get(k).size(); j++)
                    out.append(j > 0 ? "," : "").append(text(values.get(k).get(j)));
            out.append("]");
        }
        out.append("],\"reservation\":").append(number(us.getReservationValueUndiscounted()));
        out.append(",\"discount\":").append(number(us.getDiscountFactor()));
        out.append(",\"bids\":[");
        Random random = new Random(1);
        int n = total <= SAMPLES ? (int) total : SAMPLES;
        try {
            for (int s = 0; s < n; s++) {
                HashMap<Integer, Value> map = new HashMap<Integer, Value>();
                StringBuilder labels = new StringBuilder("[");
                StringBuilder at = new StringBuilder("[");
                long rest = s;
                for (int k = 0; k < issues.size(); k++) {
                    List<Value> v = values.get(k);
                    int pick;
                    if (total <= SAMPLES) { /* every bid, the first issue fastest */
                        pick = (int) (rest % v.size());
                        rest /= v.size();
                    } else {
                        pick = random.nextInt(v.size());
                    }
                    map.put(issues.get(k).getNumber(), v.get(pick));
                    labels.append(k > 0 ? "," : "").append(text(v.get(pick)));
                    at.append(k > 0 ? "," : "").append(pick);
                }
                double u = us.getUtility(new Bid(domain, map));
                out.append(s > 0 ? "," : "").append("{\"values\":").append(labels).append("],\"at\":")
                        .append(at).append("],\"u\":")
                        .append(number(u)).append("}");
            }
        } catch (Throwable t) {
            return "{\"domain\":" + quote(domainPath) + ",\"profile\":" + quote(profilePath)
                    + ",\"ok\":false,\"stage\":\"utility\",\"error\":" + quote(reason(t)) + "}";
        }
        return out.append("],\"ok\":true}").toString();
    }

    public static void main(String[] args) throws Exception {
        Locale.setDefault(Locale.ROOT);
        PrintStream stdout = System.out;
        // GENIUS prints warnings on stdout: keep it for the JSON lines alone
        System.setOut(System.err);
        BufferedReader in = new BufferedReader(new InputStreamReader(System.in, "UTF-8"));
        String line;
        while ((line = in.readLine()) != null) {
            String[] pair = line.split("\t");
            if (pair.length != 2)
                continue;
            stdout.println(check(pair[0], pair[1]));
            stdout.flush();
        }
    }
}
