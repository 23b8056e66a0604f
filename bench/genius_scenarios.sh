# genius_scenarios.sh (sourced by genius_reference.sh and genius_fidelity.sh): the ANAC 2011
# scenarios as GENIUS_SCENARIOS/NAME/NAME-domain.xml, -prof1.xml (the buyer or consumer: opens) and
# -prof2.xml, symbolic links into SCEN, in a temporary folder removed on exit. Laptop, Camera and
# Energy are the scenarios the agents' rules were read off; Grocery (Mary opens) and
# IS_BT_Acquisition (BT opens) are kept unseen, the check of how far those rules carry; Amsterdam
# (party 1 opens; no discount, 3,024 outcomes) was added unseen on 2026-12-06, a fresh held-out check;
# ANAC 2010 EnglandZimbabwe (England opens; no discount, 576 outcomes; from SCEN's sibling y2010)
# was added unseen on 2026-12-06 (fourth session), after that session's passes, for the next ones;
# ANAC 2013 Animal (prof1 opens; discount 0.75, reservation 0.5, 1,152 outcomes; from SCEN's sibling
# y2013) was added on 2026-12-06 (sixth session), a fourth held-out check (unseen but for one GENIUS
# session of TheFawkes against HardHeaded that anac-fid7 read among six scenarios); two tuning sets
# were added on 2026-12-07 (tenth session) to read rules off more than three scenarios without
# touching the held-out four: ANAC 2010 ItexvsCypress (Itex opens; no discount, 180 outcomes, a
# sharply opposed pair) and ANAC 2013 SmartPhone (util1 opens; discount 0.87, reservation 0.6)
GENIUS_SCENARIOS=$(mktemp -d)
trap 'rm -rf "$GENIUS_SCENARIOS"' EXIT
genius_link() { mkdir -p "$GENIUS_SCENARIOS/$1"; ln -s "$SCEN/$1/$2" "$GENIUS_SCENARIOS/$1/$1-domain.xml"
                ln -s "$SCEN/$1/$3" "$GENIUS_SCENARIOS/$1/$1-prof1.xml"
                ln -s "$SCEN/$1/$4" "$GENIUS_SCENARIOS/$1/$1-prof2.xml"; }
genius_link Laptop laptop_domain.xml laptop_buyer_utility.xml laptop_seller_utility.xml
genius_link Camera camera_domain.xml camera_buyer_utility.xml camera_seller_utility.xml
genius_link Energy energy_domain.xml energy_consumer.xml energy_distributor.xml
genius_link Grocery Grocery_domain.xml Grocery_domain_mary.xml Grocery_domain_sam.xml
genius_link IS_BT_Acquisition IS_BT_Acquisition.xml IS_BT_Acquisition_BT_prof.xml IS_BT_Acquisition_IS_prof.xml
genius_link Amsterdam Amsterdam_domain.xml Amsterdam_party1.xml Amsterdam_party2.xml
( SCEN=$SCEN/../y2010; genius_link EnglandZimbabwe EnglandZimbabwe_domain.xml England.xml Zimbabwe.xml )
( SCEN=$SCEN/../y2013; genius_link Animal Animal.xml Animal_util1.xml Animal_util2.xml )
( SCEN=$SCEN/../y2010; genius_link ItexvsCypress ItexvsCypress_domain.xml ItexvsCypress_Itex.xml ItexvsCypress_Cypress.xml )
( SCEN=$SCEN/../y2013; genius_link SmartPhone SmartPhone.xml SmartPhone_util1.xml SmartPhone_util2.xml )
# for bench/genius-data/extra/omac-reservation.jsonl (anac-fid30, 2026-12-08): ANAC 2013 Camera-A
# (folder cameradomain; discount 0.75, reservation 0.5) and Wholesaler (no discount, reservation 0.5)
( SCEN=$SCEN/../y2013; genius_link Wholesaler Wholesaler-domain.xml Wholesaler-prof1.xml Wholesaler-prof2.xml )
mkdir -p "$GENIUS_SCENARIOS/CameraA"
for k in domain prof1 prof2; do
    ln -s "$SCEN/../y2013/cameradomain/Camera-A-$k.xml" "$GENIUS_SCENARIOS/CameraA/CameraA-$k.xml"
done
