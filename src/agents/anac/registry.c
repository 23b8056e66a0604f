/* registry.c: the ANAC agents' rows for `truce agents`: name, competition
 * year, the published description each was written from, and parameters. */
#include "anac.h"

extern const truce_agent_class agent_agentk_class, agent_yushu_class, agent_agentfsega_class,
    agent_hardheaded2011_class, agent_gahboninho_class, agent_thenegotiator_class,
    agent_bramagent_class, agent_cuhkagent_class, agent_agentlg_class, agent_omacagent_class,
    agent_negotiatorreloaded_class, agent_thefawkes_class, agent_atlas3_class,
    agent_parsagent_class, agent_randomdance_class, agent_ponpokoagent_class,
    agent_agreeableagent_class, agent_nozomi_class, agent_iamhaggler2010_class,
    agent_iamhaggler2011_class, agent_metaagent_class, agent_caduceus_class, agent_yxagent_class;

#define SCI383 "New Trends in Agent-Based Complex Automated Negotiations, SCI 383 (2012)"
#define SCI435 "Complex Automated Negotiations, SCI 435 (2013)"
#define SCI535 "Novel Insights in Agent-based Complex Automated Negotiation, SCI 535 (2014)"
#define SCI674 "Modern Approaches to Agent-based Complex Automated Negotiation, SCI 674 (2017)"
#define SCI905 "Advances in Automated Negotiations, SCI 905 (2021)"

const anac_entry anac_agents[] = {
    {&agent_agentk_class, 2010, "Kawaguchi, Fujita and Ito, " SCI383, "tremor=2",
     "AgentK (winner): concedes toward the estimated maximum the opponent will offer "
     "(mean + (1-mean) sqrt(12) sd); accepts with a probability rising with time"},
    {&agent_yushu_class, 2010, "An and Lesser, " SCI383,
     "pace=0.5, power=1.25, width=0.07, recent=20, half=0.5, early_accept=0.96, seat_shift=0, "
     "spread=1, end_step=0.039, band_drop=0.03, floor=reservation|none",
     "Yushu: target falls as t^1.25, at a pace set by the opponent's mean offer, to its best "
     "offer; a random bid up to 0.07 above it"},
    {&agent_agentfsega_class, 2010, "Serban, Silaghi and Litan, " SCI383, "(none)",
     "AgentFSEGA: walks down its own bids one a turn to a falling target (read off GENIUS)"},
    {&agent_nozomi_class, 2010, "ANAC 2010 report (Baarslag, Hindriks, Jonker, Kraus and Lin), " SCI383,
     "(none)",
     "Nozomi: compromises or keeps its demand by the opponent's last move, faster in later "
     "time intervals; bids close to the opponent's last bid"},
    {&agent_iamhaggler2010_class, 2010, "Williams, Robu, Gerding and Jennings, " SCI383, "(none)",
     "IAMhaggler: level 1 - t^p / 2 (p from the space's size), held from the opponent's first "
     "better offer; Bayesian model picks among bids of the level"},
    {&agent_hardheaded2011_class, 2011, "van Krimpen, Looije and Hajizadeh, " SCI435,
     "min=0.585, e=0.05, ka=0.05",
     "HardHeaded as in ANAC 2011 (winner): walks down its outcome list, frequency model picks "
     "among near bids; accepts above its lowest bid so far"},
    {&agent_gahboninho_class, 2011, "Ben Adar, Sofy and Elimelech, " SCI435,
     "floor=reservation|none",
     "Gahboninho: pressure first, then concedes toward a floor set by the opponent's niceness"},
    {&agent_thenegotiator_class, 2011, "Dirkzwager and Hendrikx, " SCI435, "floor=reservation|none",
     "TheNegotiator: hardheaded, conceding and accepting phases, shifted by the discount"},
    {&agent_bramagent_class, 2011, "Fishel, Bercovitch and Gal, " SCI435, "floor=reservation|none",
     "BRAMAgent: stepped threshold, bids built from the opponent's frequent options"},
    {&agent_iamhaggler2011_class, 2011,
     "Williams, Robu, Gerding and Jennings, " SCI435 "; IJCAI 2011", "(none)",
     "IAMhaggler2011: Gaussian process predicts the opponent's offers; concedes toward the "
     "time and utility of the best expected discounted utility"},
    {&agent_metaagent_class, 2012, "Ilany and Gal, Autonomous Agents and Multi-Agent Systems 30 (2016)",
     "use=auto",
     "MetaAgent (2012 finalist; MetaAgent2013 second in 2013): picks an ANAC 2011 agent "
     "from the scenario's features and lets it play"},
    {&agent_cuhkagent_class, 2012, "Hao and Leung, " SCI535, "(none)",
     "CUHKAgent (winner): non-exploitation point from the discount and the opponent's "
     "toughness; frequency-guided bids; may end the talks for its reservation value"},
    {&agent_agentlg_class, 2012, "Williams, Robu, Gerding and Jennings (ANAC 2012 report), " SCI535,
     "(none)",
     "AgentLG: its best bid, then walks down its own bids to a floor falling in steps (without "
     "a discount at most a quarter of the way to the opponent's first offer), its last bid "
     "again late; takes offers near its best late"},
    {&agent_omacagent_class, 2012, "Chen and Weiss, ECAI 2012", "(none)",
     "OMAC: holds its best bid until the opponent's offers say to give up (under a "
     "reservation value of 0.31 Umax or more it does not wait), then a level from the "
     "discount (rules read off GENIUS 10.4's OMACagent)"},
    {&agent_negotiatorreloaded_class, 2012, "Dirkzwager, Hendrikx and de Ruiter, " SCI535,
     "(none)",
     "TheNegotiatorReloaded: BOA agent, Boulware or conceder by opponent type, AC_combi"},
    {&agent_thefawkes_class, 2013, "ANAC 2013 report; Baarslag, Springer Theses (2016)",
     "floor=reservation|none",
     "TheFawkes (winner): BOA agent predicting the opponent's concession, AC_combi"},
    {&agent_atlas3_class, 2015, "Mori and Ito, " SCI674, "(none)",
     "Atlas3 (winner, multilateral): threshold toward an expected lower limit (without a "
     "discount the line 1 - t (1 - b)/(1 + b), b the best offer; under a discount d the line "
     "1 - t/d, held up late, walks away early when the line falls below its reservation "
     "value), bids the others' frequent options (under a discount down to a floor falling with "
     "time), offers their bids back best first once the rounds left cannot hold them"},
    {&agent_parsagent_class, 2015, "Khosravimehr and Nassiri-Mofakham, " SCI674, "(none)",
     "ParsAgent (multilateral): Boulware target, bids of the others' favourite options"},
    {&agent_randomdance_class, 2015, "Kakimoto and Fujita, " SCI674, "(none)",
     "RandomDance (multilateral): frequency models pick among bids above a target"},
    {&agent_caduceus_class, 2016, "Gunes, Arditi and Aydogan, PRIMA 2017 (LNCS 10621)", "(none)",
     "Caduceus (winner, multilateral): a panel of earlier ANAC agents votes on accepting "
     "and, issue by issue, on the bid"},
    {&agent_yxagent_class, 2016, "ANAC 2016 report (Aydogan et al.), " SCI905, "(none)",
     "YXAgent (second, multilateral): random bids above 0.9 Umax, which it also asks of "
     "any offer it takes, to the end (read off GENIUS)"},
    {&agent_ponpokoagent_class, 2017, "ANAC 2017 report (Aydogan et al.), " SCI905,
     "pattern=-1 (random 0-4)",
     "PonPokoAgent (winner, multilateral): one of five random threshold patterns, random "
     "bids between them"},
    {&agent_agreeableagent_class, 2018, "ANAC 2018 report (Aydogan et al.), " SCI905, "(none)",
     "AgreeableAgent2018 (winner): Boulware target, roulette among near bids weighted by a "
     "frequency model"},
};

const size_t anac_agent_count = sizeof anac_agents / sizeof anac_agents[0];
